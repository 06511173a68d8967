/* The module table nginx looks up in a dynamic module (what nginx's build generates as
 * objs/<module>_modules.c when it compiles a module itself). */
#include <ngx_config.h>
#include <ngx_core.h>

extern ngx_module_t ngx_http_twake_calendar_module;

ngx_module_t *ngx_modules[] = {
    &ngx_http_twake_calendar_module,
    NULL
};

char *ngx_module_names[] = {
    "ngx_http_twake_calendar_module",
    NULL
};

char *ngx_module_order[] = {
    NULL
};
