"""Developer tools around the product: the demo, local DAG runs and a real Airflow for tests.

Not part of the product: :mod:`erp_sync` and :mod:`procore_provider` never import this package, the
emulator or the demo ERP.
"""
