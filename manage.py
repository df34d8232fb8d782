#!/usr/bin/env python
"""Django's command-line utility for the Country Coalitions platform."""

from ccm.__main__ import main

if __name__ == "__main__":
    main()
