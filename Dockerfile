# The Airflow image this project runs on in docker-compose: the official image plus the pinned
# requirements and the project's wheel (it registers the Procore connection type and plugin, and carries
# the extract SQL as package data, so the DAG needs no mount to find it).
ARG AIRFLOW_VERSION=3.3.2
FROM apache/airflow:${AIRFLOW_VERSION}-python3.11
COPY --chown=airflow:root requirements.txt pyproject.toml README.md /opt/procore-erp-sync/
COPY --chown=airflow:root plugins /opt/procore-erp-sync/plugins
COPY --chown=airflow:root include /opt/procore-erp-sync/include
# Only the wheel is installed; the sources are removed, so nothing at run time comes from them.
RUN pip install --no-cache-dir -r /opt/procore-erp-sync/requirements.txt \
 && pip wheel --no-cache-dir --no-deps /opt/procore-erp-sync -w /tmp/procore-erp-sync-wheel \
 && pip install --no-cache-dir --no-deps /tmp/procore-erp-sync-wheel/*.whl \
 && rm -rf /tmp/procore-erp-sync-wheel /opt/procore-erp-sync/include /opt/procore-erp-sync/plugins
