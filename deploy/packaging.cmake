# Install rules for everything but the executable (kiosk/CMakeLists.txt installs that), and the
# CPack settings for the Debian package. `./dev package` configures with -DCMAKE_INSTALL_PREFIX=/usr
# and runs `cpack -G DEB`; deploy/README.md explains every file the package carries.
include(GNUInstallDirs)

set(KOHTAAMO_PACKAGE_NAME "kohtaamo-kiosk")
set(KOHTAAMO_PACKAGE_MAINTAINER "Kohtaamo maintainers <kohtaamo@kohtaamo.example>"
    CACHE STRING "Maintainer field of the Debian package (the region's IT sets its own)")
set(KOHTAAMO_PACKAGE_RELEASE "1" CACHE STRING "Debian revision of the package (0.1.0-<this>)")

set(_deploy "${CMAKE_CURRENT_LIST_DIR}")
set(_generated "${CMAKE_CURRENT_BINARY_DIR}/deploy")
set(_doc "${CMAKE_INSTALL_DATADIR}/doc/${KOHTAAMO_PACKAGE_NAME}")
# Debian 12 keeps unit files in /lib/systemd/system (the merged-/usr move comes with Debian 13);
# other prefixes (a test install into /usr/local or a DESTDIR) keep them under the prefix.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  set(_unitdir "/lib/systemd/system")
else()
  set(_unitdir "${CMAKE_INSTALL_LIBDIR}/systemd/system")
endif()

# ---- Assets: the kiosk finds them at <prefix>/share/kohtaamo (kiosk/src/startup.cpp).
install(DIRECTORY "${PROJECT_SOURCE_DIR}/assets/demo" "${PROJECT_SOURCE_DIR}/assets/i18n"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/kohtaamo")
install(FILES "${PROJECT_SOURCE_DIR}/assets/fonts.toml" DESTINATION "${CMAKE_INSTALL_DATADIR}/kohtaamo")

# ---- Configuration, services, system user and state directory.
install(FILES "${_deploy}/package/kiosk.toml" DESTINATION "${CMAKE_INSTALL_FULL_SYSCONFDIR}/kohtaamo")
install(FILES
          "${_deploy}/systemd/kohtaamo-kiosk.service"
          "${_deploy}/systemd/kohtaamo-kiosk-cage.service"
          "${_deploy}/systemd/kohtaamo-site-config.service"
          "${_deploy}/systemd/kohtaamo-cec@.service"
          "${_deploy}/systemd/kohtaamo-cec-standby.timer"
          "${_deploy}/systemd/kohtaamo-cec-wake.timer"
        DESTINATION "${_unitdir}")
install(FILES "${_deploy}/package/sysusers.conf" DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/sysusers.d"
        RENAME "${KOHTAAMO_PACKAGE_NAME}.conf")
install(FILES "${_deploy}/package/tmpfiles.conf" DESTINATION "${CMAKE_INSTALL_PREFIX}/lib/tmpfiles.d"
        RENAME "${KOHTAAMO_PACKAGE_NAME}.conf")
install(PROGRAMS "${_deploy}/package/apply-site-config" "${_deploy}/package/cec-power"
        DESTINATION "${CMAKE_INSTALL_LIBEXECDIR}/kohtaamo")

# ---- Documentation: Debian wants the changelog and man page gzipped with -9n (reproducible).
file(MAKE_DIRECTORY "${_generated}")
string(TIMESTAMP _changelog_date "%a, %d %b %Y %H:%M:%S +0000" UTC)   # honours SOURCE_DATE_EPOCH
configure_file("${_deploy}/package/changelog.in" "${_generated}/changelog.Debian" @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
             "${_deploy}/package/changelog.in" "${_deploy}/package/kohtaamo-kiosk.1")
foreach(_pair "changelog.Debian|${_generated}/changelog.Debian" "kohtaamo-kiosk.1|${_deploy}/package/kohtaamo-kiosk.1")
  string(REPLACE "|" ";" _pair "${_pair}")
  list(GET _pair 0 _name)
  list(GET _pair 1 _input)
  execute_process(COMMAND gzip -9nc "${_input}" OUTPUT_FILE "${_generated}/${_name}.gz" COMMAND_ERROR_IS_FATAL ANY)
endforeach()
install(FILES "${_generated}/kohtaamo-kiosk.1.gz" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1")
install(FILES "${_generated}/changelog.Debian.gz" "${_deploy}/package/copyright" DESTINATION "${_doc}")
install(FILES "${_deploy}/README.md" DESTINATION "${_doc}")
install(FILES
          "${_deploy}/image/kohtaamo-site.toml.example"
          "${_deploy}/mirror/kohtaamo-mirror.conf"
          "${_deploy}/monitoring/kohtaamo-alerts.yml"
          "${_deploy}/monitoring/prometheus-node-exporter.defaults"
        DESTINATION "${_doc}/examples")

# ---- CPack: one Debian package.
set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "${KOHTAAMO_PACKAGE_NAME}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${KOHTAAMO_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE "${KOHTAAMO_PACKAGE_RELEASE}")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KOHTAAMO_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_COMPRESSION_TYPE "xz")
# Library dependencies come from dpkg-shlibdeps; the rest is what the binary opens at run time:
# fonts (assets/fonts.toml), the tz database, EGL/GLES and Mesa's drivers that SDL's kmsdrm
# backend loads with dlopen, udev for touch screens, systemd for the service, user and directory.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "fonts-noto-core | fonts-dejavu-core, tzdata, libegl1, libgles2, libegl-mesa0, libgl1-mesa-dri, libgbm1, udev, systemd")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "prometheus-node-exporter")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cage, libpam-systemd, v4l-utils | cec-utils")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "touch-screen lobby kiosk for Finnish family centres
Kohtaamo shows, offline-first and in Finnish, Swedish, English, Ukrainian or
Russian, the family services, peer-group events and drop-in times of a region:
what is open now, what is on today and in the next two weeks.
.
This package runs the kiosk as a locked-down systemd service directly on the
console (KMS/DRM), restarted by a watchdog when it stops drawing, and writes
Prometheus textfile-collector metrics for monitoring.")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://kohtaamo.example/")

# Maintainer scripts are written by hand from debhelper's snippets (sysusers, tmpfiles, systemd).
set(_conffiles "${_generated}/conffiles")
file(WRITE "${_conffiles}" "${CMAKE_INSTALL_FULL_SYSCONFDIR}/kohtaamo/kiosk.toml\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${_deploy}/package/postinst" "${_deploy}/package/prerm" "${_deploy}/package/postrm" "${_conffiles}")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION TRUE)

include(CPack)
