from build_tools.cli import main

raise SystemExit(main())
