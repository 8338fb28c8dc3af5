"""Scale tooling: synthetic data at any size (``tanu demo synth``) for benchmarks and load tests.

Plain modules, not a Django app: nothing here owns a model. See ``synth.py``.
"""
