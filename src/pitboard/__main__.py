from pitboard.cli import main

raise SystemExit(main())
