from build_tools import pipeline
from build_tools.cli import main

code = main()
pipeline.exiting()  # the process exits now: nothing to collect
raise SystemExit(code)
