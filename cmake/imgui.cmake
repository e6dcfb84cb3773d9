# Dear ImGui 1.86 (Debian source package imgui, fetched into third_party/ by scripts/setup.sh) as a
# static library, for the page (src/CMakeLists.txt) and the benchmark's anchor page
# (bench/anchor/CMakeLists.txt): one configuration, so the two compare.
set(IMGUI_DIR "${PROJECT_SOURCE_DIR}/third_party/imgui" CACHE PATH "Dear ImGui sources (scripts/setup.sh fetches them)")
if(NOT EXISTS "${IMGUI_DIR}/imgui.cpp")
  message(FATAL_ERROR "Dear ImGui sources missing in ${IMGUI_DIR}: run scripts/setup.sh")
endif()

# oauth_imgui_library(NAME [extra sources...]): Dear ImGui with the WebGL2 (OpenGL ES 3) backend.
function(oauth_imgui_library name)
  add_library(${name} STATIC
    ${IMGUI_DIR}/imgui.cpp ${IMGUI_DIR}/imgui_draw.cpp ${IMGUI_DIR}/imgui_tables.cpp
    ${IMGUI_DIR}/imgui_widgets.cpp ${IMGUI_DIR}/backends/imgui_impl_opengl3.cpp ${ARGN})
  target_include_directories(${name} SYSTEM PUBLIC ${IMGUI_DIR})
  target_compile_definitions(${name} PUBLIC IMGUI_IMPL_OPENGL_ES3 IMGUI_DISABLE_OBSOLETE_FUNCTIONS
    IMGUI_DISABLE_METRICS_WINDOW)
  target_compile_options(${name} PRIVATE -w) # third-party code: our warning flags are not its
endfunction()
