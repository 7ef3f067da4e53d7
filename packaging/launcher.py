"""The bundle's entry point (habitdesk.spec builds the `habitdesk` executable from it).

It is `python -m habitdesk`: the same command line and the same GUI as from a checkout.
"""

import sys

from habitdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
