// Licensed under the Apache License, Version 2.0.
//
// Api.cs: what a .NET client of the PlanCare2 and DrCare services uses:
// HttpClient, Json.NET with PreserveReferencesHandling (as ASP.NET's
// JsonMediaTypeFormatter is set up by these services), and
// DataContractSerializer for application/xml (ASP.NET's
// XmlMediaTypeFormatter default).
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Runtime.Serialization;
using System.Text;
using System.Xml;
using Newtonsoft.Json;

namespace AmClient
{
    public enum Fmt { Json, Xml }

    public class Reply
    {
        public int Status;
        public string Body;
        public string ContentType;
        public Dictionary<string, string> Headers =
            new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        public string Header(string name)
        {
            string v;
            return Headers.TryGetValue(name, out v) ? v : null;
        }
    }

    // A typed answer: the reply and the value read from it (null, with
    // Error set, when the client library could not read it).
    public class Typed<T>
    {
        public Reply Reply;
        public T Value;
        public string Error;
    }

    public class Api
    {
        readonly HttpClient http;
        readonly string root;

        public static readonly JsonSerializerSettings JsonSettings = new JsonSerializerSettings {
            PreserveReferencesHandling = PreserveReferencesHandling.Objects,
            DateTimeZoneHandling = DateTimeZoneHandling.RoundtripKind,
            DateParseHandling = DateParseHandling.DateTime,
            MissingMemberHandling = MissingMemberHandling.Ignore,
        };

        // root: the mount's URL ending in '/'; auth: the Authorization of
        // every request (Login.cs).
        public Api(string root, AuthenticationHeaderValue auth)
        {
            this.root = root;
            http = new HttpClient();
            http.DefaultRequestHeaders.Authorization = auth;
        }

        public static string Mime(Fmt f)
        {
            return f == Fmt.Json ? "application/json" : "application/xml";
        }

        public Reply Send(string method, string path, string body = null,
                          Fmt fmt = Fmt.Json, string contentType = null)
        {
            using (var req = new HttpRequestMessage(new HttpMethod(method), root + path)) {
                req.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(Mime(fmt)));
                // One connection per request: mono 6.8's I/O thread pool
                // can abort the process when the server closes an idle
                // kept-alive connection.
                req.Headers.ConnectionClose = true;
                if (body != null) {
                    req.Content = new StringContent(body, Encoding.UTF8, contentType ?? Mime(fmt));
                }
                using (var res = http.SendAsync(req).Result) {
                    var r = new Reply {
                        Status = (int)res.StatusCode,
                        Body = res.Content == null ? "" : res.Content.ReadAsStringAsync().Result,
                    };
                    foreach (var h in res.Headers) r.Headers[h.Key] = string.Join(",", h.Value);
                    if (res.Content != null) {
                        foreach (var h in res.Content.Headers) r.Headers[h.Key] = string.Join(",", h.Value);
                        if (res.Content.Headers.ContentType != null)
                            r.ContentType = res.Content.Headers.ContentType.MediaType;
                    }
                    return r;
                }
            }
        }

        public void Close()
        {
            http.Dispose();
        }

        // ------------------------------------------------ serialisation
        public static string ToJson(object o)
        {
            return JsonConvert.SerializeObject(o, JsonSettings);
        }

        public static T FromJson<T>(string s)
        {
            return JsonConvert.DeserializeObject<T>(s, JsonSettings);
        }

        public static string ToXml<T>(T o)
        {
            var dcs = new DataContractSerializer(typeof(T));
            using (var sw = new StringWriter()) {
                using (var xw = XmlWriter.Create(sw, new XmlWriterSettings { OmitXmlDeclaration = true })) {
                    dcs.WriteObject(xw, o);
                }
                return sw.ToString();
            }
        }

        public static T FromXml<T>(string s)
        {
            var dcs = new DataContractSerializer(typeof(T));
            using (var xr = XmlReader.Create(new StringReader(s))) {
                return (T)dcs.ReadObject(xr);
            }
        }

        public static string Encode<T>(Fmt f, T o)
        {
            return f == Fmt.Json ? ToJson(o) : ToXml(o);
        }

        public static T Decode<T>(Fmt f, string s)
        {
            return f == Fmt.Json ? FromJson<T>(s) : FromXml<T>(s);
        }

        public Typed<T> Read<T>(Fmt f, Reply r)
        {
            var t = new Typed<T> { Reply = r };
            try {
                t.Value = Decode<T>(f, r.Body);
            }
            catch (Exception e) {
                t.Error = Tap.Unwrap(e);
            }
            return t;
        }

        public Typed<T> Get<T>(Fmt f, string path)
        {
            return Read<T>(f, Send("GET", path, null, f));
        }

        public Typed<T> Post<TBody, T>(Fmt f, string path, TBody body)
        {
            return Read<T>(f, Send("POST", path, Encode(f, body), f));
        }

        // Status and a readable answer, as one assertion.
        public static bool Check<T>(Typed<T> t, int status, string name)
        {
            return Tap.Ok(t.Reply.Status == status && t.Value != null, name,
                          "status " + t.Reply.Status + " (expected " + status + ")"
                          + (t.Error != null ? "\nread error: " + t.Error : "")
                          + "\nbody: " + Trim(t.Reply.Body));
        }

        public static string Trim(string s)
        {
            if (s == null) return "";
            return s.Length > 1500 ? s.Substring(0, 1500) + "..." : s;
        }
    }

    // ASP.NET Web API's HttpError as a client reads it: a dictionary of
    // Message and ModelState (itself a dictionary of key -> messages).
    // In XML each key is an element name written with
    // XmlConvert.EncodeLocalName and read back with XmlConvert.DecodeName,
    // as HttpError's IXmlSerializable implementation does.
    public class HttpError : Dictionary<string, object>
    {
        public string Message { get { object m; return TryGetValue("Message", out m) ? m as string : null; } }

        public Dictionary<string, string[]> ModelState = new Dictionary<string, string[]>();

        public static HttpError Read(Fmt f, string body)
        {
            var e = new HttpError();
            if (f == Fmt.Json) {
                var d = JsonConvert.DeserializeObject<Dictionary<string, object>>(body);
                foreach (var kv in d) {
                    if (kv.Key == "ModelState") {
                        var ms = JsonConvert.DeserializeObject<Dictionary<string, string[]>>(
                            JsonConvert.SerializeObject(kv.Value));
                        foreach (var m in ms) e.ModelState[m.Key] = m.Value;
                        e[kv.Key] = e.ModelState;
                    }
                    else {
                        e[kv.Key] = kv.Value == null ? null : kv.Value.ToString();
                    }
                }
                return e;
            }
            var doc = new XmlDocument();
            doc.LoadXml(body);
            if (doc.DocumentElement.LocalName != "Error")
                throw new FormatException("root element " + doc.DocumentElement.LocalName + ", not Error");
            foreach (XmlNode n in doc.DocumentElement.ChildNodes) {
                if (n.NodeType != XmlNodeType.Element) continue;
                var key = XmlConvert.DecodeName(n.LocalName);
                if (key == "ModelState") {
                    foreach (XmlNode m in n.ChildNodes) {
                        if (m.NodeType != XmlNodeType.Element) continue;
                        var k = XmlConvert.DecodeName(m.LocalName);
                        string[] old;
                        e.ModelState[k] = e.ModelState.TryGetValue(k, out old)
                            ? old.Concat(new[] { m.InnerText }).ToArray()
                            : new[] { m.InnerText };
                    }
                    e[key] = e.ModelState;
                }
                else {
                    e[key] = n.InnerText;
                }
            }
            return e;
        }
    }
}
