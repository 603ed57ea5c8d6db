import { useNavigation } from "@remix-run/react";

/** The intent of the form this page is submitting right now (navigation forms), or null. */
export function useSubmittingIntent(): string | null {
  const navigation = useNavigation();
  const intent = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  return typeof intent === "string" ? intent : null;
}
