"""`python -m dashboard.demo`: regenerate data/demo/ from the seed."""

from dashboard.demo.bundle.bundle import main

main()
