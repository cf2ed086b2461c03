// Licensed under the Apache License, Version 2.0.
//
// Login.cs: how the suite logs in.  "basic": HTTP Basic on every request
// (the mounts whose authentication is httpd's).  "token": as a PlanCare2
// client does (the API's Samples page): POST {mount}/token, form-encoded
// OAuth 2.0 password grant (FormUrlEncodedContent), the answer's
// access_token then as "Authorization: Bearer" on every request.
using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Headers;
using Newtonsoft.Json;

namespace AmClient
{
    public class TokenAnswer
    {
        [JsonProperty("access_token")] public string AccessToken;
        [JsonProperty("token_type")] public string TokenType;
        [JsonProperty("expires_in")] public long ExpiresIn;
    }

    public static class Login
    {
        // The Api of the mount at root, logged in; null (with a failed
        // assertion) when the login fails.
        public static Api Open(Ctx c, string mode, string root)
        {
            if (mode == "basic") {
                return new Api(root, new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(c.User + ":" + c.Password))));
            }
            using (var http = new HttpClient()) {
                var form = new FormUrlEncodedContent(new[] {
                    new KeyValuePair<string, string>("grant_type", "password"),
                    new KeyValuePair<string, string>("username", c.User),
                    new KeyValuePair<string, string>("password", c.Password),
                });
                var req = new HttpRequestMessage(HttpMethod.Post, root + "token") { Content = form };
                req.Headers.ConnectionClose = true;
                using (var res = http.SendAsync(req).Result) {
                    var body = res.Content.ReadAsStringAsync().Result;
                    TokenAnswer t = null;
                    try { t = JsonConvert.DeserializeObject<TokenAnswer>(body); } catch (Exception) { }
                    if (!Tap.Ok((int)res.StatusCode == 200 && t != null && !string.IsNullOrEmpty(t.AccessToken)
                                && string.Equals(t.TokenType, "bearer", StringComparison.OrdinalIgnoreCase),
                                "POST " + root + "token gives a bearer token", (int)res.StatusCode + " " + body)) {
                        return null;
                    }
                    return new Api(root, new AuthenticationHeaderValue("Bearer", t.AccessToken));
                }
            }
        }
    }
}
