# Shared helpers for install/agent and install/test. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Installs Debian packages that are missing; a no-op (no network) when all are present.
ensure_apt() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "install: apt-get install ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# Packages the agent itself needs at run time: PostgreSQL for the embedded database, patchelf for the
# TorchSharp shim on Debian 12 (see src/Agent.Inference/Native/README.md), g++ to build that shim.
RUNTIME_PACKAGES=(postgresql-15 patchelf g++)
# What the test suite additionally talks to: real DICOM peers and independent validators.
# python3-torch: the PyTorch twin of the U-Net (state_dict loading test, inference benchmark reference).
# dcm2niix: independent cross-check of phantom geometry.
# openssl: TLS profile tests (s_client); python3-scipy: reference for the resample benchmark.
TEST_PACKAGES=(dcmtk orthanc dicom3tools python3-pydicom python3-numpy python3-nibabel procps python3-torch dcm2niix openssl python3-scipy)
