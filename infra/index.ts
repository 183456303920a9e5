// Pulumi runs an exported function as the program and publishes its result as stack outputs.
import { program } from "./program";

export = program;
