"""Country Coalitions: a platform for implementing the Convention on Cluster Munitions."""
