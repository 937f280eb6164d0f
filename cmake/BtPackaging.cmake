# Installation of everything but the executables (app/CMakeLists.txt installs those) and the
# Debian package built from it by CPack: `cpack -G DEB` in a build folder configured with
# -DCMAKE_INSTALL_PREFIX=/usr. scripts/package.sh builds, installs, checks and removes it.
#
# Layout under the prefix:
#   bin/bilevel-tuner, bin/bilevel-tuner-cli
#   share/bilevel-tuner/configs/*.json              example run configurations
#   share/applications/bilevel-tuner.desktop        desktop entry (GUI builds only)
#   share/metainfo/<id>.metainfo.xml                AppStream metadata (GUI builds only)
#   share/icons/hicolor/{scalable,NxN}/apps/        icons (GUI builds only)
#   share/man/man1/*.1.gz                           manual pages
#   share/doc/bilevel-tuner/{copyright,changelog.gz}

include(GNUInstallDirs)

set(BT_PACKAGE_NAME bilevel-tuner)
set(BT_PACKAGE_MAINTAINER "Bilevel Tuner maintainers <maintainers@bilevel-tuner.invalid>"
    CACHE STRING "Maintainer field of the Debian package: 'Name <address>'")
set(BT_APPSTREAM_ID org.bileveltuner.BilevelTuner)
set(BT_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(BT_PKG_DATADIR ${CMAKE_INSTALL_DATADIR}/${BT_PACKAGE_NAME})
set(BT_PKG_DOCDIR ${CMAKE_INSTALL_DATADIR}/doc/${BT_PACKAGE_NAME})

# ---- files ---------------------------------------------------------------------------------
install(DIRECTORY ${PROJECT_SOURCE_DIR}/resources/configs/ DESTINATION ${BT_PKG_DATADIR}/configs
        FILES_MATCHING PATTERN "*.json")

# Debian wants manual pages and changelogs compressed with gzip -9, without a time stamp (-n)
# so that rebuilds are byte-identical.
set(bt_compressed)
set(bt_man_pages bilevel-tuner-cli.1)
if(BT_BUILD_GUI)
    list(APPEND bt_man_pages bilevel-tuner.1)
endif()
foreach(page IN LISTS bt_man_pages)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/packaging/${page}.gz)
    add_custom_command(OUTPUT ${out}
                       COMMAND gzip -9 -n -c ${BT_PACKAGING_DIR}/man/${page} > ${out}
                       DEPENDS ${BT_PACKAGING_DIR}/man/${page} VERBATIM)
    list(APPEND bt_compressed ${out})
    install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
endforeach()
set(bt_changelog ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz)
add_custom_command(OUTPUT ${bt_changelog}
                   COMMAND gzip -9 -n -c ${BT_PACKAGING_DIR}/changelog > ${bt_changelog}
                   DEPENDS ${BT_PACKAGING_DIR}/changelog VERBATIM)
list(APPEND bt_compressed ${bt_changelog})
file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/packaging)
add_custom_target(bt_packaging_files ALL DEPENDS ${bt_compressed})

install(FILES ${BT_PACKAGING_DIR}/copyright ${bt_changelog} DESTINATION ${BT_PKG_DOCDIR})

if(BT_BUILD_GUI)
    install(FILES ${BT_PACKAGING_DIR}/bilevel-tuner.desktop
            DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${BT_PACKAGING_DIR}/${BT_APPSTREAM_ID}.metainfo.xml
            DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    install(FILES ${BT_PACKAGING_DIR}/icons/bilevel-tuner.svg
            DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
    foreach(size 16 32 48 64 128 256 512)
        install(FILES ${BT_PACKAGING_DIR}/icons/${size}x${size}/bilevel-tuner.png
                DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps)
    endforeach()
endif()

# ---- Debian package ------------------------------------------------------------------------
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ${BT_PACKAGE_NAME})
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "The Bilevel Tuner authors")
set(CPACK_PACKAGE_CONTACT "${BT_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${BT_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# Depends: the shared libraries the executables link (dpkg-shlibdeps) plus Fashion-MNIST, the
# data set the example configurations use. OpenBLAS is only recommended: LibTorch runs with any
# BLAS, but over three times slower with the reference one.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "dataset-fashion-mnist")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-pthread")
# mpirun, for `bilevel-tuner-cli run --executor mpi` on many processes or machines.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "openmpi-bin")
# The first line is the synopsis; CPack indents the rest and turns empty lines into " .".
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "tune regularisation hyperparameters of neural networks
Bilevel Tuner tunes the L2-regularisation hyperparameters of neural networks
by the gradient-based bilevel method of Sinha, Gunwal and Kumar: a Gaussian
process approximates the lower-level optimal value function, and an augmented
Lagrangian solves the resulting single-level constrained problem. It compares
the method with grid search, random search, Bayesian optimisation and
Hyperband, all trained the same way.

The package holds the Qt desktop application (bilevel-tuner), its headless
command-line twin (bilevel-tuner-cli) and example run configurations for
ridge regression, MNIST, Fashion-MNIST and CIFAR-10.")

include(CPack)
