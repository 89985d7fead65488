"""The ussd_airflow peer (`make bench-peer`): a Django 2.2 USSD engine measured beside Arogya.

Nothing here is imported by Arogya or its tests: the peer runs in its own virtualenv
(bench/peer_bench.py makes it), never in the project's.
"""
