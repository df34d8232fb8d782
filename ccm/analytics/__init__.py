"""Pure computations (no Django imports): plain data in, plain data out."""
