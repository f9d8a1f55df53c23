# Debian packages through CPack (scripts/package builds them):
#   operator      the host, the packs, the unit, /etc/operator, docs, man pages
#   operator-sdk  the ABI headers and the CMake package for writing packs
# The packages' prefix is /usr, so their paths are Debian's (see
# OperatorInstallLayout.cmake); scripts/package configures it so.
include_guard(GLOBAL)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME operator)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "operator maintainers <operator@localhost>")
# Each package's description below starts with its one-line synopsis (no
# CPACK_PACKAGE_DESCRIPTION_SUMMARY, which CPack would put before both).
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# Reproducible: no build paths or times leak into the package.
set(CPACK_DEBIAN_PACKAGE_SOURCE operator)
set(CPACK_THREADS 1)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL host sdk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.invalid/operator")

set(CPACK_DEBIAN_HOST_PACKAGE_NAME operator)
set(CPACK_DEBIAN_HOST_PACKAGE_SECTION admin)
# Library dependencies come from dpkg-shlibdeps, i.e. Debian's own packages.
set(CPACK_DEBIAN_HOST_PACKAGE_SHLIBDEPS ON)
# adduser for postinst; procps for the unit's ExecReload=/bin/kill.
set(CPACK_DEBIAN_HOST_PACKAGE_DEPENDS "adduser, procps")
# SOCI loads its PostgreSQL backend when a config names postgresql://
# (several hosts sharing targets): not a library dependency dpkg-shlibdeps
# can see.
set(CPACK_DEBIAN_HOST_PACKAGE_RECOMMENDS "libsoci-postgresql4.0")
set(CPACK_DEBIAN_HOST_PACKAGE_SUGGESTS "prometheus, prometheus-alertmanager")
set(CPACK_DEBIAN_HOST_DESCRIPTION
  "invariant monitor for distributed systems
operator-host runs invariant packs (plugins behind a stable C ABI) on a
schedule and turns every violation into one tracked, deduplicated ticket
in SQLite, with notifications to Alertmanager, webhooks and commands.
This package holds the host, the TiKV and exec packs, the example packs
(example in C++, tcp in C), a hardened systemd unit (not started until
enabled), and the reference config.")
# The package's prefix is /usr: its config is in /etc/operator.
set(OPERATOR_CONFIG_DIR /etc/operator)
configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/postinst.in
  ${PROJECT_BINARY_DIR}/packaging/postinst @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/postrm.in
  ${PROJECT_BINARY_DIR}/packaging/postrm @ONLY)
configure_file(${PROJECT_SOURCE_DIR}/packaging/debian/conffiles.in
  ${PROJECT_BINARY_DIR}/packaging/conffiles @ONLY)
set(CPACK_DEBIAN_HOST_PACKAGE_CONTROL_EXTRA
  ${PROJECT_BINARY_DIR}/packaging/postinst
  ${PROJECT_BINARY_DIR}/packaging/postrm
  ${PROJECT_BINARY_DIR}/packaging/conffiles)
set(CPACK_DEBIAN_HOST_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_SDK_PACKAGE_NAME operator-sdk)
set(CPACK_DEBIAN_SDK_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_SDK_PACKAGE_ARCHITECTURE all)
set(CPACK_DEBIAN_SDK_PACKAGE_DEPENDS "cmake (>= 3.20)")
set(CPACK_DEBIAN_SDK_PACKAGE_RECOMMENDS "operator")
set(CPACK_DEBIAN_SDK_DESCRIPTION
  "SDK for writing operator invariant packs
The C ABI header (operator/plugin.h), the header-only C++ helpers, and the
CMake package: find_package(OperatorSDK), operator_add_pack(), and
OPERATOR_PACK_INSTALL_DIR, where the installed operator-host loads packs.")

include(CPack)
