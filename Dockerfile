# The Airflow image this project runs on in docker-compose: the official image plus the pinned
# requirements and the project package (which registers the Procore connection type and plugin).
ARG AIRFLOW_VERSION=3.3.2
FROM apache/airflow:${AIRFLOW_VERSION}-python3.11
COPY --chown=airflow:root requirements.txt pyproject.toml README.md /opt/procore-erp-sync/
COPY --chown=airflow:root plugins /opt/procore-erp-sync/plugins
COPY --chown=airflow:root include /opt/procore-erp-sync/include
RUN pip install --no-cache-dir -r /opt/procore-erp-sync/requirements.txt \
 && pip install --no-cache-dir --no-deps /opt/procore-erp-sync
