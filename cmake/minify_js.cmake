# esbuild (npm, web/package.json; scripts/setup.sh installs it) minifies the JavaScript the page
# downloads. oauth_minify_js(target file) rewrites `file` in place after each link of `target`.
find_program(ESBUILD esbuild PATHS ${PROJECT_SOURCE_DIR}/web/node_modules/.bin NO_DEFAULT_PATH)
if(NOT ESBUILD)
  message(FATAL_ERROR "esbuild missing in web/node_modules: run scripts/setup.sh")
endif()

function(oauth_minify_js target file)
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND ${ESBUILD} ${file} --minify --log-level=warning --allow-overwrite --outfile=${file}
    COMMENT "Minifying ${file}")
endfunction()
