package org.galley.mail;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Derives an Amazon SES SMTP password from an IAM secret access key, following AWS's
 * documented algorithm: an HMAC-SHA256 chain keyed first with {@code "AWS4" + secret}
 * over the date {@code "11111111"}, then the region, {@code "ses"},
 * {@code "aws4_request"} and finally the message {@code "SendRawEmail"}; the version
 * byte {@code 0x04} is prepended and the result base64-encoded. The SMTP user name is
 * the access key id.
 *
 * <p>The secret and the derived password are secrets: neither appears in an exception
 * message, and callers must keep the result off logs.
 */
public final class SesSmtpPassword {
    private static final String DATE = "11111111";
    private static final String SERVICE = "ses";
    private static final String TERMINAL = "aws4_request";
    private static final String MESSAGE = "SendRawEmail";
    private static final byte VERSION = 0x04;
    private static final String HMAC = "HmacSHA256";
    /** eu-west-1, us-gov-west-1, ap-southeast-2, eusc-de-east-1, ... */
    private static final Pattern REGION = Pattern.compile("[a-z]{2,4}(-[a-z]+){1,3}-[0-9]{1,2}");

    private SesSmtpPassword() {}

    /**
     * @param secretAccessKey the IAM user's secret access key (not the access key id)
     * @param region          the SES region, e.g. {@code eu-west-1}
     * @return the SMTP password, base64
     * @throws IllegalArgumentException when the key is empty or the region is not a region name;
     *                                  the message never contains the key
     */
    public static String derive(String secretAccessKey, String region) {
        checkKey(secretAccessKey);
        checkRegion(region);
        byte[] key = hmac(("AWS4" + secretAccessKey).getBytes(StandardCharsets.UTF_8), DATE);
        key = hmac(key, region);
        key = hmac(key, SERVICE);
        key = hmac(key, TERMINAL);
        byte[] signature = hmac(key, MESSAGE);
        byte[] versioned = new byte[signature.length + 1];
        versioned[0] = VERSION;
        System.arraycopy(signature, 0, versioned, 1, signature.length);
        return Base64.getEncoder().encodeToString(versioned);
    }

    private static void checkKey(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("SES SMTP password: the IAM secret access key is empty;"
                    + " supply the secret access key of the IAM user allowed to send mail (ses:SendRawEmail)");
        }
        if (!secret.strip().equals(secret)) {
            throw new IllegalArgumentException("SES SMTP password: the IAM secret access key has leading or"
                    + " trailing white space (a newline from a file?); remove it");
        }
    }

    // The region is not secret, but it is never echoed either: with the two arguments
    // swapped, the "region" would be the secret key.
    private static void checkRegion(String region) {
        if (region == null || region.isEmpty()) {
            throw new IllegalArgumentException("SES SMTP password: the SES region is empty;"
                    + " give a region name such as eu-west-1");
        }
        if (REGION.matcher(region).matches()) {
            return;
        }
        String hint;
        if (region.contains(".")) {
            hint = "it looks like a host name; give the region only, e.g. eu-west-1 for"
                    + " email-smtp.eu-west-1.amazonaws.com";
        } else if (!region.equals(region.strip())) {
            hint = "remove the surrounding white space";
        } else if (REGION.matcher(region.toLowerCase(Locale.ROOT)).matches()) {
            hint = "region names are lower case";
        } else {
            hint = "check the spelling, and that the secret key and region were not swapped";
        }
        throw new IllegalArgumentException("SES SMTP password: the SES region must be a region name such as"
                + " eu-west-1 (letters, dashes, ending in a number; value of " + region.length()
                + " characters not shown); " + hint);
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            // HmacSHA256 is required of every Java platform; reaching here means a broken JRE.
            throw new IllegalStateException("HmacSHA256 unavailable in this Java runtime", e);
        }
    }
}
