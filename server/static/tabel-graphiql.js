// GraphiQL for tabel: a sign-in bar above the editor and example documents per role.
// Plain script, no build step. The page's settings come from #tabel-config (JSON).
"use strict";

(function () {
  const config = JSON.parse(document.getElementById("tabel-config").textContent);
  const SESSION_KEY = "tabel:session";

  const $ = (id) => document.getElementById(id);
  let session = JSON.parse(localStorage.getItem(SESSION_KEY) || "null");
  let editor = null; // GraphiQL's editor context, once it has rendered

  async function ask(query, variables, token) {
    const headers = { "Content-Type": "application/json", Accept: "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const reply = await fetch(config.endpoint, {
      method: "POST",
      headers,
      body: JSON.stringify({ query, variables: variables || {} }),
    });
    const answer = await reply.json();
    if (answer.errors && answer.errors.length) throw new Error(answer.errors[0].message);
    return answer.data;
  }

  // Every request GraphiQL sends carries the signed-in token, unless its Headers tab sets one.
  function fetchSignedIn(url, init) {
    const headers = new Headers(init && init.headers);
    if (session && !headers.has("Authorization")) {
      headers.set("Authorization", `Bearer ${session.token}`);
    }
    return fetch(url, Object.assign({}, init, { headers }));
  }

  function remember(value) {
    session = value;
    if (value) localStorage.setItem(SESSION_KEY, JSON.stringify(value));
    else localStorage.removeItem(SESSION_KEY);
    render();
  }

  function say(text, isError) {
    const status = $("tabel-status");
    status.textContent = text;
    status.classList.toggle("tabel-error", Boolean(isError));
  }

  async function signIn(login, password) {
    say("Signing in…");
    try {
      const { token } = (await ask(config.signIn, { login, password })).login;
      const { me } = await ask(config.who, {}, token);
      const roles = [...new Set(me.roles.map((grant) => grant.role))];
      remember({ token, login: me.login, name: me.person && me.person.shortName, roles });
      say("");
    } catch (error) {
      say(error.message, true);
    }
  }

  async function signOut() {
    const token = session && session.token;
    remember(null);
    say("Signed out.");
    if (token) await ask("mutation SignOut { logout }", {}, token).catch(() => {});
  }

  function examplesFor(roles) {
    return config.examples.filter((example) => !example.role || roles.includes(example.role));
  }

  function render() {
    $("tabel-signed-out").hidden = Boolean(session);
    $("tabel-signed-in").hidden = !session;
    if (session) {
      $("tabel-who").textContent = session.name || session.login;
      $("tabel-roles").textContent = `login ${session.login} · ${session.roles.join(", ") || "no role"}`;
    }
    const picker = $("tabel-examples");
    const prompt = session ? "Examples for your roles…" : "Examples (sign in to run them)…";
    picker.replaceChildren(new Option(prompt, ""));
    const shown = session ? examplesFor(session.roles) : config.examples;
    const groups = new Map();
    shown.forEach((example) => {
      const label = example.role || "anyone signed in";
      if (!groups.has(label)) groups.set(label, document.createElement("optgroup"));
      groups.get(label).label = label;
      groups.get(label).append(new Option(example.title, config.examples.indexOf(example)));
    });
    picker.append(...groups.values());
  }

  function today(daysBefore) {
    const day = new Date();
    day.setDate(day.getDate() - daysBefore);
    const pad = (n) => String(n).padStart(2, "0");
    return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
  }

  // A fill is a path into the lookup's answer ("schools.nodes.0.id"), or "@today", "@today-13".
  function filled(fill, data) {
    const date = /^@today(?:-(\d+))?$/.exec(fill);
    if (date) return today(Number(date[1] || 0));
    const value = fill.split(".").reduce((node, key) => (node == null ? node : node[key]), data);
    if (value == null) throw new Error("you have nothing it could show yet; Variables left empty.");
    return value;
  }

  async function variablesOf(example) {
    if (example.lookup && !session) throw new Error("sign in first: its IDs are looked up as you.");
    const data = example.lookup ? await ask(example.lookup, {}, session.token) : {};
    const variables = {};
    Object.entries(example.fill).forEach(([name, fill]) => {
      variables[name] = filled(fill, data);
    });
    return variables;
  }

  async function openExample(example) {
    if (!editor) return;
    let variables = {};
    try {
      variables = await variablesOf(example);
      say("");
    } catch (error) {
      say(`${example.title}: ${error.message}`, true);
    }
    ReactDOM.flushSync(() => editor.addTab());
    editor.queryEditor.setValue(example.document);
    if (editor.variableEditor) editor.variableEditor.setValue(JSON.stringify(variables, null, 2));
  }

  function EditorBridge() {
    editor = GraphiQL.React.useEditorContext();
    return null;
  }

  function listen() {
    $("tabel-sign-in").addEventListener("submit", (event) => {
      event.preventDefault();
      signIn($("tabel-login").value.trim(), $("tabel-password").value);
    });
    const demo = $("tabel-demo-role");
    if (demo) {
      demo.addEventListener("change", () => {
        if (demo.value) signIn(demo.value, config.demoPassword);
        demo.value = "";
      });
    }
    $("tabel-sign-out").addEventListener("click", signOut);
    $("tabel-examples").addEventListener("change", (event) => {
      const example = config.examples[Number(event.target.value)];
      event.target.value = "";
      if (example) openExample(example);
    });
  }

  async function checkSession() {
    if (!session) return;
    try {
      await ask(config.who, {}, session.token);
    } catch (error) {
      remember(null);
      say("Your sign-in has ended; sign in again.");
    }
  }

  // On a first visit, the query editor a little wider than the answer: the documents fit it.
  if (localStorage.getItem("graphiql:editorFlex") === null) {
    localStorage.setItem("graphiql:editorFlex", "1.6");
  }
  // Subscriptions go over a WebSocket to the same endpoint (graphql-transport-ws), signed in
  // by connection_init's payload: the token as it is when the subscription starts.
  const socketUrl = new URL(config.endpoint, window.location.href);
  socketUrl.protocol = socketUrl.protocol === "https:" ? "wss:" : "ws:";
  const wsConnectionParams = {
    get authorization() {
      return session ? `Bearer ${session.token}` : undefined;
    },
  };
  const fetcher = GraphiQL.createFetcher({
    url: config.endpoint,
    fetch: fetchSignedIn,
    subscriptionUrl: socketUrl.href,
    wsConnectionParams,
  });
  const graphiql = React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: config.welcome,
    plugins: [GraphiQLPluginExplorer.explorerPlugin()],
    defaultEditorToolsVisibility: true,
    inputValueDeprecation: true,
    isHeadersEditorEnabled: true,
    toolbar: { additionalComponent: EditorBridge },
  });
  ReactDOM.createRoot($("graphiql")).render(graphiql);
  listen();
  render();
  checkSession();
})();
