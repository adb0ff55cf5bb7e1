"""The pipeline's Airflow wiring: the DAG factory, the operators that run pipeline steps, the run context.

Everything else in :mod:`erp_sync` is plain Python over DataFrames and never imports Airflow.
"""
