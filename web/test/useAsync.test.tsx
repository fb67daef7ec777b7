import { describe, expect, it, vi } from "vitest";
import { renderHook, waitFor } from "@testing-library/react";
import { useAsync } from "../src/components/useAsync";

/** A loader whose answers the test gives, one pending call at a time. */
function controlled() {
  const pending: { resolve: (value: string) => void; reject: (error: Error) => void }[] = [];
  const load = vi.fn(
    () =>
      new Promise<string>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
  );
  return { load, pending };
}

describe("useAsync", () => {
  it("SameLoaderAndKey_LoadsOnceAcrossRenders", async () => {
    const { load, pending } = controlled();
    const { result, rerender } = renderHook(({ k }) => useAsync(load, k), { initialProps: { k: 1 } });
    expect(result.current.loading).toBe(true);
    expect(result.current.data).toBeNull();
    pending[0].resolve("one");
    await waitFor(() => expect(result.current.data).toBe("one"));
    expect(result.current.loading).toBe(false);
    rerender({ k: 1 });
    rerender({ k: 1 });
    // No load per render, and no render loop from the answer.
    await new Promise((r) => setTimeout(r, 20));
    expect(load).toHaveBeenCalledTimes(1);
  });

  it("NewKey_LoadsAgainAndKeepsTheLastDataMeanwhile", async () => {
    const { load, pending } = controlled();
    const { result, rerender } = renderHook(({ k }) => useAsync(load, k), { initialProps: { k: 1 } });
    pending[0].resolve("one");
    await waitFor(() => expect(result.current.data).toBe("one"));
    rerender({ k: 2 });
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current.loading).toBe(true);
    expect(result.current.data).toBe("one");
    pending[1].resolve("two");
    await waitFor(() => expect(result.current.data).toBe("two"));
    expect(result.current.loading).toBe(false);
  });

  it("NewLoader_LoadsAgain", async () => {
    const first = controlled();
    const second = controlled();
    const { result, rerender } = renderHook(({ load }) => useAsync(load), { initialProps: { load: first.load } });
    first.pending[0].resolve("first");
    await waitFor(() => expect(result.current.data).toBe("first"));
    rerender({ load: second.load });
    expect(result.current.loading).toBe(true);
    second.pending[0].resolve("second");
    await waitFor(() => expect(result.current.data).toBe("second"));
    expect(first.load).toHaveBeenCalledTimes(1);
  });

  it("Reload_LoadsAgain_AnErrorKeepsTheData", async () => {
    const { load, pending } = controlled();
    const { result } = renderHook(() => useAsync(load));
    pending[0].resolve("one");
    await waitFor(() => expect(result.current.data).toBe("one"));
    result.current.reload();
    await waitFor(() => expect(load).toHaveBeenCalledTimes(2));
    expect(result.current.loading).toBe(true);
    pending[1].reject(new Error("down"));
    await waitFor(() => expect(result.current.error?.message).toBe("down"));
    expect(result.current.data).toBe("one");
    expect(result.current.loading).toBe(false);
  });

  it("AnswerOfASupersededRequest_IsIgnored", async () => {
    const { load, pending } = controlled();
    const { result, rerender } = renderHook(({ k }) => useAsync(load, k), { initialProps: { k: 1 } });
    rerender({ k: 2 });
    pending[1].resolve("two");
    await waitFor(() => expect(result.current.data).toBe("two"));
    pending[0].resolve("one");
    await new Promise((r) => setTimeout(r, 20));
    expect(result.current.data).toBe("two");
    expect(result.current.loading).toBe(false);
  });
});
