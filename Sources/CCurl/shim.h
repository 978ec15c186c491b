#ifndef DROVER_CCURL_SHIM_H
#define DROVER_CCURL_SHIM_H
// Typed, non-variadic wrappers around libcurl's variadic calls, which Swift cannot call.
// Only the CurlTransport module imports this.
#include <curl/curl.h>

// MARK: global

static inline CURLcode drover_curl_global_init_all(void) { return curl_global_init(CURL_GLOBAL_ALL); }

// MARK: curl_easy_setopt

static inline CURLcode drover_curl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drover_curl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drover_curl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drover_curl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}
static inline CURLcode drover_curl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}
/// For CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
static inline CURLcode drover_curl_easy_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback fn) {
    return curl_easy_setopt(handle, option, fn);
}
/// For CURLOPT_XFERINFOFUNCTION.
static inline CURLcode drover_curl_easy_setopt_xferinfo_function(CURL *handle, curl_xferinfo_callback fn) {
    return curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, fn);
}

// MARK: curl_easy_getinfo

static inline CURLcode drover_curl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode drover_curl_easy_getinfo_double(CURL *handle, CURLINFO info, double *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode drover_curl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}
static inline CURLcode drover_curl_easy_getinfo_string(CURL *handle, CURLINFO info, char **value) {
    return curl_easy_getinfo(handle, info, value);
}

// MARK: curl_multi_setopt

static inline CURLMcode drover_curl_multi_setopt_long(CURLM *multi, CURLMoption option, long value) {
    return curl_multi_setopt(multi, option, value);
}

// MARK: CURLMsg (its `data` member is a union)

static inline CURLcode drover_curl_msg_result(const CURLMsg *msg) { return msg->data.result; }

#endif
