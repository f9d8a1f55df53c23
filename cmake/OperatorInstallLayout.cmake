# The one install layout. `cmake --install`, the Debian packages, the systemd
# unit, the reference config and the docs all follow these paths, so that an
# installed operator-host, its unit and its config agree wherever it goes:
#
#   what                prefix /usr (the package)      any other prefix P (default /usr/local)
#   operator-host       /usr/bin                       P/bin
#   packs               /usr/lib/operator/packs        P/lib/operator/packs
#   config, env         /etc/operator                  P/etc/operator
#   systemd unit        /lib/systemd/system            P/lib/systemd/system
#   docs                /usr/share/doc/operator        P/share/doc/operator
#   state (database)    /var/lib/operator              /var/lib/operator
#
# The prefix is the one `cmake --install` uses (--prefix may differ from the
# configured one), so the config and the unit are placed, and the unit is
# written, at install time (cmake/OperatorInstallServiceFiles.cmake). The
# host applies the same rule to find its packs and its installed config
# beside its own executable (core/common/install_layout.h).
include_guard(GLOBAL)
include(GNUInstallDirs)

# Packs are the host's private plugins, not libraries for the linker: lib/,
# not the multiarch libdir.
set(OPERATOR_PACK_INSTALL_DIR lib/operator/packs)
# systemd's StateDirectory=operator: fixed by systemd, whatever the prefix.
set(OPERATOR_STATE_DIR /var/lib/operator)

# Everything installed belongs to the `operator` package unless it says
# otherwise (the SDK's files say `sdk`).
set(CMAKE_INSTALL_DEFAULT_COMPONENT_NAME host)
