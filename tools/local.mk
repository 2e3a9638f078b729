# Tools: one subdirectory per program.
