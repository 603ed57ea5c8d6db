import { useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";

import { rescueFocus } from "./browser";

/**
 * After a form's action and the reload that follows, a keyboard user's focus stays on the page:
 * if the button they pressed is gone (the body has focus), it moves to the main content.
 */
export function useFocusAfterActions(targetId: string): void {
  const navigation = useNavigation();
  const submitted = useRef(false);
  useEffect(() => {
    if (navigation.state === "submitting") {
      submitted.current = true;
    } else if (navigation.state === "idle" && submitted.current) {
      submitted.current = false;
      // After React has put the new page in place.
      const timer = setTimeout(() => rescueFocus(targetId), 0);
      return () => clearTimeout(timer);
    }
  }, [navigation.state, targetId]);
}
