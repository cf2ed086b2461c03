// Licensed under the Apache License, Version 2.0.
//
// TokenLogin.cs: logs in as a .NET client of the PlanCare2 service does
// (HttpClient, FormUrlEncodedContent, Json.NET): POST {mount}/token with
// the OAuth 2.0 password grant, then "Authorization: Bearer" on every
// request, the optional employmentId header, the refresh_token grant.
//
//   mono TokenLogin.exe MOUNT-URL USER PASSWORD
//
// MOUNT-URL ends in '/'.  Prints one TAP line per assertion and, last,
// "# done PASSED FAILED"; t/api/login_dotnet.t runs it.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using Newtonsoft.Json;

namespace AmLogin
{
    // The token answer as ASP.NET's OAuth server writes it.
    public class TokenResponse
    {
        [JsonProperty("access_token")] public string AccessToken;
        [JsonProperty("token_type")] public string TokenType;
        [JsonProperty("expires_in")] public long ExpiresIn;
        [JsonProperty("refresh_token")] public string RefreshToken;
        [JsonProperty("userName")] public string UserName;
        [JsonProperty(".issued")] public string Issued;
        [JsonProperty(".expires")] public string Expires;
    }

    public class OAuthError
    {
        [JsonProperty("error")] public string Error;
        [JsonProperty("error_description")] public string Description;
    }

    // The members of a ContractAppointment this client reads.
    public class ContractAppointment
    {
        public long Id;
        public int ClientId;
        public DateTime Start;
        public DateTime End;
        public string Title;
        public int CreatedById;
        public string CreatedByName;
    }

    public static class Program
    {
        static int passed, failed;

        static void Ok(bool cond, string name, string why = null)
        {
            if (cond) {
                passed++;
                Console.WriteLine("ok - " + name);
            }
            else {
                failed++;
                Console.WriteLine("not ok - " + name);
                if (why != null) Console.WriteLine("# " + why.Replace("\n", "\n# "));
            }
        }

        static HttpResponseMessage Token(HttpClient http, string root,
                                         params string[] kv)
        {
            var fields = new List<KeyValuePair<string, string>>();
            for (int i = 0; i + 1 < kv.Length; i += 2)
                fields.Add(new KeyValuePair<string, string>(kv[i], kv[i + 1]));
            return http.PostAsync(root + "token", new FormUrlEncodedContent(fields)).Result;
        }

        static string Body(HttpResponseMessage r)
        {
            return r.Content == null ? "" : r.Content.ReadAsStringAsync().Result;
        }

        public static int Main(string[] args)
        {
            if (args.Length < 3) {
                Console.Error.WriteLine("usage: TokenLogin.exe MOUNT-URL USER PASSWORD");
                return 2;
            }
            string root = args[0], user = args[1], password = args[2];
            try {
                Run(root, user, password);
            }
            catch (Exception e) {
                Ok(false, "runs to its end", e.ToString());
            }
            Console.WriteLine("# done " + passed + " " + failed);
            return failed == 0 ? 0 : 1;
        }

        static void Run(string root, string user, string password)
        {
            var http = new HttpClient();
            var res = Token(http, root, "grant_type", "password",
                            "username", user, "password", password);
            string body = Body(res);
            Ok((int)res.StatusCode == 200, "POST token with the password grant: 200", body);
            var tok = JsonConvert.DeserializeObject<TokenResponse>(body);
            Ok(tok.TokenType == "bearer" && !string.IsNullOrEmpty(tok.AccessToken),
               "Json.NET reads a bearer access_token");
            Ok(tok.ExpiresIn > 0, "expires_in is a positive number of seconds");
            Ok(tok.UserName == user, "userName is the user");
            DateTime issued, expires;
            Ok(DateTime.TryParseExact(tok.Issued, "r", CultureInfo.InvariantCulture,
                                      DateTimeStyles.AdjustToUniversal, out issued)
               && DateTime.TryParseExact(tok.Expires, "r", CultureInfo.InvariantCulture,
                                         DateTimeStyles.AdjustToUniversal, out expires)
               && (expires - issued).TotalSeconds == tok.ExpiresIn,
               ".issued and .expires parse as RFC 1123 dates, expires_in apart",
               tok.Issued + " / " + tok.Expires);

            http.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Bearer", tok.AccessToken);
            var appt = new Dictionary<string, object> {
                { "ClientId", 7303 }, { "ContractId", 1 }, { "ProductId", 1 },
                { "Title", ".NET with a bearer token" },
                { "Start", "2026-05-26T09:00:00+02:00" },
                { "End", "2026-05-26T10:00:00+02:00" },
                { "MovesToNextDay", false }, { "IsAllDay", false },
            };
            res = http.PostAsync(root + "ClientAppointments/ContractAppointments",
                new StringContent(JsonConvert.SerializeObject(appt), Encoding.UTF8,
                                  "application/json")).Result;
            body = Body(res);
            Ok((int)res.StatusCode == 200, "create a ContractAppointment with the token", body);
            var created = JsonConvert.DeserializeObject<ContractAppointment>(body);
            Ok(created.Id > 0 && created.CreatedByName == user,
               "CreatedByName is the token's user", body);

            res = http.GetAsync(root + "ClientAppointments/ContractAppointments/" + created.Id).Result;
            body = Body(res);
            var read = JsonConvert.DeserializeObject<ContractAppointment>(body);
            Ok((int)res.StatusCode == 200 && read.Title == ".NET with a bearer token",
               "read it back with the token", body);

            // The employmentId header overrides the token's employment.
            var req = new HttpRequestMessage(HttpMethod.Post,
                root + "ClientAppointments/ContractAppointments");
            req.Headers.Add("employmentId", "31337");
            req.Content = new StringContent(JsonConvert.SerializeObject(appt), Encoding.UTF8,
                                            "application/json");
            res = http.SendAsync(req).Result;
            body = Body(res);
            var other = JsonConvert.DeserializeObject<ContractAppointment>(body);
            Ok((int)res.StatusCode == 200 && other.CreatedById == 31337,
               "the employmentId header gives the employment", body);

            // A wrong password: 400 invalid_grant, as ASP.NET's endpoint.
            var anon = new HttpClient();
            res = Token(anon, root, "grant_type", "password", "username", user,
                        "password", password + "x");
            body = Body(res);
            var err = JsonConvert.DeserializeObject<OAuthError>(body);
            Ok((int)res.StatusCode == 400 && err.Error == "invalid_grant",
               "a wrong password: 400 invalid_grant", body);

            // Without the token, and with a made-up one: 401.
            res = anon.GetAsync(root + "ClientAppointments/ContractAppointments/" + created.Id).Result;
            Ok((int)res.StatusCode == 401, "no token: 401");
            Ok(res.Headers.WwwAuthenticate.ToString().Contains("Bearer"),
               "WWW-Authenticate names Bearer", res.Headers.WwwAuthenticate.ToString());

            // Renew with the refresh token: the old access token ends.
            res = Token(anon, root, "grant_type", "refresh_token",
                        "refresh_token", tok.RefreshToken);
            body = Body(res);
            var renewed = JsonConvert.DeserializeObject<TokenResponse>(body);
            Ok((int)res.StatusCode == 200 && renewed.AccessToken != tok.AccessToken,
               "the refresh_token grant gives a new token", body);
            res = http.GetAsync(root + "ClientAppointments/ContractAppointments/" + created.Id).Result;
            Ok((int)res.StatusCode == 401, "the replaced token: 401");
            http.DefaultRequestHeaders.Authorization =
                new AuthenticationHeaderValue("Bearer", renewed.AccessToken);
            res = http.GetAsync(root + "ClientAppointments/ContractAppointments/" + created.Id).Result;
            Ok((int)res.StatusCode == 200, "the new token: 200");
        }
    }
}
