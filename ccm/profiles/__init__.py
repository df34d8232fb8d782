"""Country profiles and the Country Brief: pages that compose reporting, needs and funding.

This app sits above ``reporting``, ``needs`` and ``funding`` in the layer order, so it may read all
three (through their selectors and policies); none of them imports it.
"""
