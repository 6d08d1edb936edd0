package org.galley.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.galley.mail.SesSmtpPassword;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ses-smtp-password", mixinStandardHelpOptions = true,
        description = {"Derives the SES SMTP password from an IAM secret access key.",
                "The key is read from standard input (or the environment variable named by --from-env),"
                        + " never from the command line, so it stays out of shell history and process lists."})
final class SesSmtpPasswordCommand extends Commands {
    @Option(names = "--region", required = true, description = "the SES region, e.g. eu-west-1")
    String region;

    @Option(names = "--from-env", paramLabel = "VAR", description = "read the secret access key from this variable")
    String fromEnv;

    @Override
    int execute() {
        String key;
        if (fromEnv != null) {
            key = System.getenv(fromEnv);
            if (key == null) {
                err().println("galley: environment variable " + fromEnv + " is not set");
                return ExitCodes.BAD_INPUT;
            }
        } else {
            try {
                key = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                err().println("galley: cannot read the key from stdin: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
            if (key == null) {
                err().println("galley: no key on stdin; pipe it in or use --from-env VAR");
                return ExitCodes.BAD_INPUT;
            }
        }
        try {
            out().println(SesSmtpPassword.derive(key.strip(), region));
        } catch (IllegalArgumentException e) {
            err().println("galley: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        return ExitCodes.OK;
    }
}
