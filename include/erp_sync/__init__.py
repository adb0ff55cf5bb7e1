"""ERP → Procore sync pipeline: declarations, extract, transform, plan, load and record steps.

Everything here is plain Python over DataFrames and SQLAlchemy, testable without Airflow; the DAG
factory (:mod:`erp_sync.orchestration.dag_factory`) wires these steps into Airflow tasks.
"""
