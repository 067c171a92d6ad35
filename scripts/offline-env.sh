# Sourced by the run and test scripts: Studio never reaches a model hub or telemetry endpoint.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_DATASETS_OFFLINE=1
export GRADIO_ANALYTICS_ENABLED=False ANONYMIZED_TELEMETRY=False
export TOKENIZERS_PARALLELISM=false
# torch threads sleep instead of spin-waiting (10-20x faster decoding on a busy machine; studio/cpu.py).
export OMP_WAIT_POLICY=PASSIVE
