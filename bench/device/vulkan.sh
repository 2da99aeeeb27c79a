# Sourced by bench/gpu.sh: makes a Vulkan loader available to Dawn on a machine whose image may lack one, and
# finds the GPU's Vulkan driver manifests (ICDs). Never writes outside $1 (no dpkg into /): each carried .deb
# (bench/device/pack.sh) whose library the system lacks is unpacked into a private folder that goes on
# LD_LIBRARY_PATH, so nothing the image has is replaced.
#
#   vulkan_prepare RUNTIME_DIR NOTES_FILE DEBS_DIR → exports GROK_VULKAN_LIBS (':'-joined folders, maybe empty)
#   vulkan_icds                             → prints the NVIDIA ICD manifests found, one a line
#   vulkan_notes NOTES_FILE                 → appends what the setup looks like (for the results file)

# package:soname of each carried .deb, in dependency order.
VULKAN_DEBS="libvulkan1:libvulkan.so.1 libglvnd0:libGLdispatch.so.0 libglx0:libGLX.so.0 libgl1:libGL.so.1
libegl1:libEGL.so.1 libopengl0:libOpenGL.so.0 libgles2:libGLESv2.so.2 libmd0:libmd.so.0 libbsd0:libbsd.so.0
libxau6:libXau.so.6 libxdmcp6:libXdmcp.so.6 libxcb1:libxcb.so.1 libx11-6:libX11.so.6 libxext6:libXext.so.6"
# Not on PATH under `env -i PATH=/usr/bin:/bin`.
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
NVIDIA_LIB_DIRS="/usr/local/nvidia/lib64 /usr/local/nvidia/lib"
ICD_DIRS="/usr/local/nvidia/share/vulkan/icd.d /usr/local/nvidia/etc/vulkan/icd.d /etc/vulkan/icd.d
/usr/share/vulkan/icd.d /usr/local/share/vulkan/icd.d"

_vulkan_has_lib() { # $1: soname; true if the dynamic linker would find it without our help
  local dir
  "$LDCONFIG" -p 2>/dev/null | grep -q "[[:space:]]$1 " && return 0
  local path=${LD_LIBRARY_PATH:-}
  for dir in ${path//:/ } $NVIDIA_LIB_DIRS; do [ -e "$dir/$1" ] && return 0; done
  return 1
}

_vulkan_unpack_deb() { # $1: .deb, $2: folder
  if command -v dpkg >/dev/null; then
    dpkg -x "$1" "$2"
  else
    python3 - "$1" "$2" <<'PY'
import io, sys, tarfile
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'!<arch>\n', 'not a .deb'
i = 8
while i < len(data):
    name, size = data[i:i + 16].decode().strip().rstrip('/'), int(data[i + 48:i + 58])
    body = data[i + 60:i + 60 + size]
    i += 60 + size + (size & 1)
    if name.startswith('data.tar'):
        tarfile.open(fileobj=io.BytesIO(body)).extractall(sys.argv[2])
PY
  fi
}

vulkan_prepare() {
  local runtime=$1 notes=$2 debs=$3 root entry package soname deb dir unpacked=""
  root="$runtime/vulkan-root"
  rm -rf "$root"
  mkdir -p "$root"
  for entry in $VULKAN_DEBS; do
    package=${entry%%:*}
    soname=${entry#*:}
    _vulkan_has_lib "$soname" && continue
    deb=$(compgen -G "$debs/${package}_*.deb" | head -1 || true)
    if [ -z "$deb" ]; then
      echo "vulkan: $soname missing and no carried $package .deb" >>"$notes"
      continue
    fi
    _vulkan_unpack_deb "$deb" "$root"
    unpacked="$unpacked $soname"
  done
  GROK_VULKAN_LIBS=""
  for dir in "$root/usr/lib/x86_64-linux-gnu" "$root/lib/x86_64-linux-gnu"; do
    [ -d "$dir" ] && GROK_VULKAN_LIBS="${GROK_VULKAN_LIBS:+$GROK_VULKAN_LIBS:}$dir"
  done
  for dir in $NVIDIA_LIB_DIRS; do [ -d "$dir" ] && GROK_VULKAN_LIBS="${GROK_VULKAN_LIBS:+$GROK_VULKAN_LIBS:}$dir"; done
  export GROK_VULKAN_LIBS
  echo "vulkan: carried libraries used (the system lacks them):${unpacked:- none}" >>"$notes"
  echo "vulkan: LD_LIBRARY_PATH additions: ${GROK_VULKAN_LIBS:-none}" >>"$notes"
}

vulkan_icds() {
  local dir
  for dir in $ICD_DIRS; do
    [ -d "$dir" ] && find "$dir" -maxdepth 1 -name '*nvidia*.json' 2>/dev/null
  done | sort -u
}

vulkan_notes() {
  local notes=$1 icd glx
  {
    echo "nvidia-smi -L: $(nvidia-smi -L 2>&1 | head -2 | tr '\n' ' ')"
    echo "NVIDIA_DRIVER_CAPABILITIES=${NVIDIA_DRIVER_CAPABILITIES:-unset} LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-unset}"
    echo "system libraries: $("$LDCONFIG" -p 2>/dev/null | grep -oE '(libvulkan|libGLX_nvidia|libGLdispatch|libEGL_nvidia|libX11)\.so[.0-9]*' | sort -u | tr '\n' ' ')"
    echo "all ICD manifests: $(for d in $ICD_DIRS; do [ -d "$d" ] && ls "$d"/*.json 2>/dev/null; done | tr '\n' ' ')"
    for icd in $(vulkan_icds); do echo "$icd: $(tr -d ' \n' <"$icd" | head -c 300)"; done
    glx=$("$LDCONFIG" -p 2>/dev/null | awk '/libGLX_nvidia.so.0/ {print $NF; exit}')
    [ -n "$glx" ] || glx=$(ls /usr/local/nvidia/lib64/libGLX_nvidia.so.0 2>/dev/null || true)
    if [ -n "$glx" ]; then
      echo "ldd $glx (with the carried libraries):"
      LD_LIBRARY_PATH="${GROK_VULKAN_LIBS:-}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$glx" 2>&1 | grep -E 'not found|GLdispatch|X11' | head -8
    else
      echo "libGLX_nvidia.so.0 (NVIDIA's Vulkan driver): not found"
    fi
  } >>"$notes" 2>&1
}
