"""Re-sealing stored records under the keyring's current key (see core.records.vault).

Why batches and conditional swaps: rotation runs while the service is up, over every record
ever stored. It reads a batch at a time, and replaces a row's ciphertext only if the row still
holds the one it read, so a concurrent rotation (or a second operator) cannot lose an update.
A row that does not open is logged and left as it is: it needs a person, not a retry.
"""

from __future__ import annotations

import logging

from core.records.models import HealthRecord
from core.records.vault import Keyring, VaultError

log = logging.getLogger(__name__)


async def reseal_all(keyring: Keyring, batch_size: int = 100) -> int:
    """How many records were moved to `keyring.current_kid`."""
    current, done, after = keyring.current_kid, 0, 0
    while True:
        rows = (
            await HealthRecord.filter(seq__gt=after)
            .exclude(key_id=current)
            .order_by("seq")
            .limit(batch_size)
            .only("seq", "id", "key_id", "sealed")
        )
        if not rows:
            return done
        for row in rows:
            try:
                plain = keyring.open(row.key_id, row.sealed, row.id)
            except VaultError:
                log.exception("record %s does not open; left under %s", row.id, row.key_id)
                continue
            kid, sealed = keyring.seal(plain, row.id)
            done += await HealthRecord.filter(seq=row.seq, key_id=row.key_id).update(
                key_id=kid, sealed=sealed
            )
        after = rows[-1].seq
