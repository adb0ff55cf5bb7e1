"""ERP → Procore sync, in Procore's integration order (see README: "Integration points").

The graph is generated from the integration-point declarations in ``erp_sync.declarations``.
"""

from erp_sync.dag_factory import build_erp_to_procore_dag

dag = build_erp_to_procore_dag()
