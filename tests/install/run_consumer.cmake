# Installs the build tree into WORK_DIR/prefix, then configures and builds a tiny consumer
# project with find_package(parkett) against it and runs it on a corpus file.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${WORK_DIR}/prefix
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "cmake --install failed: ${rc}")
endif()
set(link_flags "")
if(SANITIZE)
  set(link_flags "-fsanitize=address,undefined")  # the installed library was built with them
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/tests/install/consumer -B ${WORK_DIR}/build
                -G Ninja -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix "-DCMAKE_EXE_LINKER_FLAGS=${link_flags}"
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the consumer failed: ${rc}")
endif()
foreach(exe consumer_shared consumer_static)
  execute_process(COMMAND ${WORK_DIR}/build/${exe} ${CORPUS_FILE} RESULT_VARIABLE rc
                  OUTPUT_VARIABLE out)
  if(rc OR NOT out STREQUAL "8 rows, 11 columns\n")
    message(FATAL_ERROR "${exe} failed (${rc}): ${out}")
  endif()
endforeach()
# pkg-config sees the installed library too.
set(ENV{PKG_CONFIG_PATH} ${WORK_DIR}/prefix/lib/pkgconfig)
execute_process(COMMAND pkg-config --cflags --libs parkett RESULT_VARIABLE rc OUTPUT_VARIABLE out
                ERROR_VARIABLE err)
if(rc OR NOT out MATCHES "-lparkett")
  message(FATAL_ERROR "pkg-config parkett failed: ${out} ${err}")
endif()
