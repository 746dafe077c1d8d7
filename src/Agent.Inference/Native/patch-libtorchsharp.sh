#!/bin/sh
# Makes a copy of libLibTorchSharp.so load on hosts whose libstdc++ predates GLIBCXX_3.4.32 (Debian 12).
# Usage: patch-libtorchsharp.sh LIB CACHE_DIR      Idempotent; a no-op on hosts that have the symbol version.
# See README.md in this folder for why each step is needed.
set -eu
lib="$1"; cache="$2"; here="$(cd "$(dirname "$0")" && pwd)"
shim_name=libtorchsharp_glibcxx_shim.so

host_stdcxx=$(/sbin/ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 .*x86-64/ {print $NF; exit}')
if [ -n "${host_stdcxx}" ] && grep -q 'GLIBCXX_3\.4\.32' "${host_stdcxx}"; then exit 0; fi
grep -q 'GLIBCXX_3\.4\.32' "${lib}" || exit 0
if patchelf --print-needed "${lib}" 2>/dev/null | grep -qx "${shim_name}"; then exit 0; fi

for tool in g++ patchelf; do
  command -v "${tool}" >/dev/null 2>&1 || {
    echo "error TORCHSHIM1: '${tool}' is required to patch ${lib} for this host's libstdc++ (apt-get install g++ patchelf)" >&2
    exit 1; }
done
mkdir -p "${cache}"
if [ ! -f "${cache}/${shim_name}" ] || [ "${here}/glibcxx_shim.cpp" -nt "${cache}/${shim_name}" ]; then
  g++ -shared -fPIC -O2 -o "${cache}/${shim_name}" "${here}/glibcxx_shim.cpp"
fi
if [ ! -x "${cache}/verneed_weak" ] || [ "${here}/verneed_weak.c" -nt "${cache}/verneed_weak" ]; then
  g++ -x c -O2 -o "${cache}/verneed_weak" "${here}/verneed_weak.c"
fi

dir=$(dirname "${lib}")
cp -f "${cache}/${shim_name}" "${dir}/${shim_name}"
patchelf --clear-symbol-version _ZSt21ios_base_library_initv "${lib}"
patchelf --add-needed "${shim_name}" "${lib}"
patchelf --set-rpath '$ORIGIN' "${lib}"
rc=0; "${cache}/verneed_weak" "${lib}" GLIBCXX_3.4.32 || rc=$?
[ "${rc}" -eq 0 ] || [ "${rc}" -eq 3 ]   # 3: no such requirement left, nothing to weaken
echo "TorchSharp shim applied to ${lib}"
