"""The airflow DAG ``erp_to_procore``: ERP → Procore sync in Procore's integration order.

The graph is generated from the integration-point declarations in ``erp_sync.declarations``
(see README: "Integration points"); this file only wires.
"""

from erp_sync.orchestration.dag_factory import build_erp_to_procore_dag

dag = build_erp_to_procore_dag()
