from arogya.cli import main

raise SystemExit(main())
