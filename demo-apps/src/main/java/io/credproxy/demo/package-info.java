/** Demo applications, one per HTTP client, each trying to bypass the proxy. */
package io.credproxy.demo;
