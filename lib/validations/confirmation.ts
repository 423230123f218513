import * as z from "zod/mini";
import { emailSchema, loginSchema } from "@/lib/validations/auth";

/**
 * The two small forms of the confirmation step: the password that confirms a registration (checked
 * like a sign-in's, never judged for strength: it was judged when it was chosen) and the address that
 * gets the link again.
 */
export const confirmEmailSchema = z.strictObject({ password: loginSchema.shape.password });

export const resendLinkSchema = z.strictObject({ email: emailSchema });
