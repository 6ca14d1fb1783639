# Encore's images, both from this one file (build from the repository root):
#   docker build --target api .        the API (`encore serve`)
#   docker build --target trainer .    the RQ worker (also runs the one-shot migrations)
# Both share every layer but their last: one venv with the shared package and the API.
#
# TORCH_PIP_ARGS says where pip finds torch; empty (the default) means PyTorch's CPU-only
# index (PyPI's torch carries CUDA: gigabytes these images never use). Where that index cannot
# be reached, name a mirror or a folder of wheels, e.g.
#   --network host --build-arg TORCH_PIP_ARGS="--find-links http://127.0.0.1:8765/"

FROM python:3.11-slim AS deps
ARG TORCH_PIP_ARGS=""
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /src
COPY constraints.txt ./
# Unquoted on purpose: the argument holds several pip options.
RUN pip install ${TORCH_PIP_ARGS:---index-url https://download.pytorch.org/whl/cpu} "torch==2.13.0"
# The dependencies only (the packages are installed from their metadata, then removed).
COPY shared/pyproject.toml shared/pyproject.toml
COPY services/api/pyproject.toml services/api/pyproject.toml
RUN mkdir -p shared/src/encore services/api/src/encore_api \
 && pip install -c constraints.txt ./shared ./services/api \
 && pip uninstall -y encore encore-api

FROM deps AS wheels
COPY shared shared
COPY services/api services/api
RUN pip wheel --no-deps --wheel-dir /wheels ./shared ./services/api

# The venv (1.4 GB of dependencies) is one layer that a code change leaves alone; the code
# comes after it, as two small wheels: a new release rebuilds and ships megabytes, not that.
FROM python:3.11-slim AS runtime
RUN useradd --create-home --uid 10001 encore \
 && mkdir -p /data /artifacts && chown encore:encore /data /artifacts
COPY --from=deps /opt/venv /opt/venv
COPY --from=wheels /wheels /tmp/wheels
RUN /opt/venv/bin/pip install --no-deps --no-index --disable-pip-version-check \
      --no-cache-dir /tmp/wheels/*.whl \
 && rm -rf /tmp/wheels
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 \
    ENCORE_DATA_DIR=/data ENCORE_ARTIFACTS_DIR=/artifacts
USER encore
WORKDIR /home/encore

FROM runtime AS trainer
# Healthy while this container's worker is registered with the queue.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
  CMD ["encore", "worker", "--check"]
CMD ["encore", "worker"]

FROM runtime AS api
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=4).status != 200)"]
CMD ["encore", "serve", "--host", "0.0.0.0", "--port", "8000"]
