"""Studio: on-brand, checked, labelled marketing content with human review."""

import os

# torch's OpenMP threads must sleep, not spin, between operations: spinning threads on a small shared machine
# made decoding 10-20x slower (see studio/cpu.py). Read once when torch loads, so set it first.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
