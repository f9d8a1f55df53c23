# Run by `cmake --install` (install(SCRIPT)): puts the service's files where
# the install prefix says (OperatorInstallLayout.cmake has the table) and
# writes the unit with that prefix's paths. Expects OPERATOR_SOURCE_CONFIG,
# the source tree's config/ folder, and OPERATOR_BINARY_CONFIG, a scratch
# folder of the build.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  # Debian's places. (/lib/systemd/system is /usr/lib/systemd/system on a
  # merged-/usr system, but dpkg tells them apart, and Debian 12 uses it.)
  set(OPERATOR_CONFIG_DIR /etc/operator)
  set(unit_dir /lib/systemd/system)
else()
  set(OPERATOR_CONFIG_DIR ${CMAKE_INSTALL_PREFIX}/etc/operator)
  set(unit_dir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(OPERATOR_BIN_DIR ${CMAKE_INSTALL_PREFIX}/bin)
set(OPERATOR_DOC_DIR ${CMAKE_INSTALL_PREFIX}/share/doc/operator)
set(OPERATOR_STATE_DIR /var/lib/operator)

configure_file(${OPERATOR_SOURCE_CONFIG}/operator.service.in
  ${OPERATOR_BINARY_CONFIG}/operator.service @ONLY)
file(INSTALL ${OPERATOR_BINARY_CONFIG}/operator.service DESTINATION ${unit_dir})
file(INSTALL ${OPERATOR_SOURCE_CONFIG}/operator.yaml DESTINATION ${OPERATOR_CONFIG_DIR})
# It may hold secrets: root and the service's group only (the package's
# postinst gives it to the group `operator`).
file(INSTALL ${OPERATOR_SOURCE_CONFIG}/operator.env DESTINATION ${OPERATOR_CONFIG_DIR}
  PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ)
