"""The ``ccm`` console script: runs any Django management command, like ``manage.py``."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccm.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    argv[0] = "ccm"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
