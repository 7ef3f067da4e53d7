from habitdesk.cli import main

raise SystemExit(main())
