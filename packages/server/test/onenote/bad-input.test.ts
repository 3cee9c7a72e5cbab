import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestNudge, type TestNudge } from "@nudge/test-support";
import { NotesClient, type NotesResponse } from "./notes-client.js";

describe("OneNote API: bad input", () => {
  let t: TestNudge;
  let alice: NotesClient;
  beforeEach(async () => {
    t = await startTestNudge();
    alice = NotesClient.oneNote(t);
  });
  afterEach(async () => {
    await t?.stop();
  });

  /** A 4xx in Graph's error shape, with the caller's id in X-AuthenticatedUserId. */
  function expectRefused(response: NotesResponse, status: number, message?: string | RegExp): void {
    expect(response.status, response.text).toBe(status);
    expect(response.headers.get("x-authenticateduserid")).toBe(t.demo.users.alice.id);
    expect(response.json.error).toEqual({
      code: expect.any(String),
      message: message === undefined ? expect.any(String) : expect.stringMatching(message),
      innerError: { "request-id": expect.any(String), date: expect.any(String) },
    });
  }

  it.each([
    ["filter=lastModifiedTime ge", /not valid/],
    ["filter=lastModifiedTime ge 2024-01-01T00:00:00Z or createdTime lt 2025-01-01", /only 'and'/],
    ["filter=title eq 'x'", /cannot use the property 'title'/],
    ["filter=lastModifiedTime contains 2024-01-01", /operator 'contains'/],
    ["filter=lastModifiedTime ge yesterday", /'yesterday' is not a valid time/],
    ["filter=lastModifiedTime ge 2024-02-30T00:00:00Z", /not a valid time/],
    ["filter=lastModifiedTime ge 2024-01-01T25:00:00Z", /not a valid time/],
    ["top=101", /between 1 and 100/],
    ["top=0", /between 1 and 100/],
    ["top=ten", /whole number/],
    ["skip=-1", /whole number/],
    ["orderby=size", /cannot be ordered by 'size'/],
    ["orderby=title sideways", /not valid/],
    ["orderby=constructor", /cannot be ordered by 'constructor'/],
    ["orderby=__proto__ desc", /cannot be ordered by '__proto__'/],
    ["orderby=toString", /cannot be ordered by 'toString'/],
    ["orderby=hasOwnProperty,title", /cannot be ordered by 'hasOwnProperty'/],
    ["top=%205", /whole number/],
    ["top=1e1", /whole number/],
    ["skip=99999999999999999999", /whole number/],
    ["select=id,secret", /'secret' cannot be selected/],
    [
      "filter=lastModifiedTime ge 2024-01-01T00:00:00Z&$filter=createdTime ge 2024-01-01T00:00:00Z",
      /more than once/,
    ],
  ])("refuses pages?%s with a 400 that says why", async (query, message) => {
    expectRefused(await alice.get(`/pages?${query}`), 400, message);
  });

  it.each(["constructor", "__proto__", "toString", "valueOf"])(
    "refuses Graph's $orderby=%s on /v1.0/me/onenote/pages with a 400, not a 500",
    async (key) => {
      const graph = NotesClient.graph(t);
      const refused = await graph.get(`/pages?$orderby=${key}`);
      expect(refused.status, refused.text).toBe(400);
      expect(refused.json.error.message).toContain(`cannot be ordered by '${key}'`);
    },
  );

  it("answers unknown ids with 404 and the caller's id", async () => {
    expectRefused(await alice.get("/notebooks/0-missing"), 404, /0-missing/);
    expectRefused(await alice.get("/sections/0-missing/pages"), 404);
    expectRefused(
      await alice.post("/sections/0-missing/pages", "<html><head><title>x</title></head></html>"),
      404,
    );
    expectRefused(await alice.delete("/pages/0-missing"), 404);
    expectRefused(
      await alice.patch("/pages/0-missing/content", [{ target: "body", action: "append", content: "x" }]),
      404,
    );
  });

  it("answers an unknown path with 404 and the caller's id", async () => {
    expectRefused(await alice.get("/notebooks/x/unknown"), 404);
  });

  it("answers 401 without a token, and without X-AuthenticatedUserId", async () => {
    const anonymous = new NotesClient(alice.root, {});
    const response = await anonymous.get("/notebooks");
    expect(response.status).toBe(401);
    expect(response.headers.has("x-authenticateduserid")).toBe(false);
    expect(response.json.error.code).toBe("InvalidAuthenticationToken");
  });

  it.each([
    [{}, /name is required/],
    [{ name: "" }, /name is required/],
    [{ name: 42 }, /name is required/],
    [{ name: "a/b" }, /cannot contain/],
    [{ name: "x".repeat(129) }, /at most 128/],
  ])("refuses the notebook %j and stores nothing", async (body, message) => {
    expectRefused(await alice.post("/notebooks", body), 400, message);
    expect((await alice.get("/notebooks")).json.value).toEqual([]);
  });

  it("refuses a malformed JSON body and stores nothing", async () => {
    expectRefused(
      await alice.call("POST", "/notebooks", { body: "{", contentType: "application/json" }),
      400,
    );
    expect((await alice.get("/notebooks")).json.value).toEqual([]);
  });

  it("refuses a page in an unsupported media type and stores nothing", async () => {
    const { sectionId } = await alice.notebookWithSection();
    expectRefused(
      await alice.post(`/sections/${sectionId}/pages`, "just text", "text/plain"),
      415,
      /text\/html/,
    );
    expectRefused(await alice.post(`/sections/${sectionId}/pages`, ""), 400);
    expectRefused(
      await alice.post(`/sections/${sectionId}/pages`, { title: 7 }),
      400,
      /title must be a string/,
    );
    expect((await alice.get("/pages")).json.value).toEqual([]);
  });

  it.each([
    [{ target: "body", action: "append" }, /content must be a string/],
    [[], /array of patch commands/],
    [[{ target: "#p1", action: "replace", content: "x" }], /target '#p1' is not supported/],
    [[{ target: "body", action: "insert", content: "x" }], /insert needs an element target/],
    [[{ target: "title", action: "append", content: "x" }], /title can only be replaced/],
    [[{ target: "body", action: "append", position: "middle", content: "x" }], /position/],
  ])("refuses the patch %j and leaves the page as it was", async (commands, message) => {
    const { sectionId } = await alice.notebookWithSection();
    const id = await alice.addPage(sectionId, "Kept", "<p>kept</p>");
    const before = await alice.get(`/pages/${id}`);
    t.clock.advance(60_000);
    expectRefused(await alice.patch(`/pages/${id}/content`, commands), 400, message);
    expect((await alice.get(`/pages/${id}`)).json).toEqual(before.json);
    expect((await alice.get(`/pages/${id}/content`)).text).toContain("<p>kept</p>");
  });

  it("applies no command of a patch when a later one is refused", async () => {
    const { sectionId } = await alice.notebookWithSection();
    const id = await alice.addPage(sectionId, "Kept", "<p>kept</p>");
    const refused = await alice.patch(`/pages/${id}/content`, [
      { target: "body", action: "append", content: "<p>added</p>" },
      { target: "#nope", action: "replace", content: "x" },
    ]);
    expectRefused(refused, 400);
    expect((await alice.get(`/pages/${id}/content`)).text).not.toContain("added");
  });

  it("answers the Graph API's bad filters in Graph's error shape", async () => {
    const graph = NotesClient.graph(t);
    const response = await graph.get("/pages?$top=101");
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({
      code: "invalidRequest",
      message: expect.stringContaining("100"),
    });
  });
});
