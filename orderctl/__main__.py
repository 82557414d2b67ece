"""Allow ``python -m orderctl``."""

from orderctl.cli.app import main

if __name__ == "__main__":
    main()
