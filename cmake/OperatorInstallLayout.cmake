# The one install layout. `cmake --install`, the Debian packages, the systemd
# unit, the reference config and the docs all follow these paths, so that an
# installed operator-host, its unit and its config agree wherever it goes:
#
#   what                prefix /usr (the package)      prefix /usr/local (default)
#   operator-host       /usr/bin                       /usr/local/bin
#   packs               /usr/lib/operator/packs        /usr/local/lib/operator/packs
#   config, env         /etc/operator                  /usr/local/etc/operator
#   systemd unit        /lib/systemd/system            /usr/local/lib/systemd/system
#   docs                /usr/share/doc/operator        /usr/local/share/doc/operator
#   state (database)    /var/lib/operator              /var/lib/operator
include_guard(GLOBAL)
include(GNUInstallDirs)

# Packs are the host's private plugins, not libraries for the linker: lib/,
# not the multiarch libdir. The host finds them beside itself
# (bin/../lib/operator/packs), so the tree can be installed anywhere.
set(OPERATOR_PACK_INSTALL_DIR lib/operator/packs)
set(OPERATOR_BIN_DIR ${CMAKE_INSTALL_FULL_BINDIR})
set(OPERATOR_CONFIG_DIR ${CMAKE_INSTALL_FULL_SYSCONFDIR}/operator)
set(OPERATOR_DOC_DIR ${CMAKE_INSTALL_FULL_DATAROOTDIR}/doc/operator)
# systemd's StateDirectory=operator: fixed by systemd, whatever the prefix.
set(OPERATOR_STATE_DIR /var/lib/operator)
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  # Debian 12 ships units in /lib/systemd/system (the same folder as
  # /usr/lib/systemd/system on a merged-/usr system, but dpkg tells them apart).
  set(_unit_dir /lib/systemd/system)
else()
  set(_unit_dir ${CMAKE_INSTALL_PREFIX}/lib/systemd/system)
endif()
set(OPERATOR_UNIT_DIR ${_unit_dir} CACHE PATH "Where the systemd unit is installed")

# Everything installed belongs to the `operator` package unless it says
# otherwise (the SDK's files say `sdk`).
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME host)
