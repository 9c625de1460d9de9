package io.credproxy.demo;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * Test fixture: an application that ships its own (older) Byte Buddy, as Mockito or Hibernate users
 * do, uses it, then makes the demo's HTTP call.
 */
public final class OwnByteBuddyApp {
    private OwnByteBuddyApp() {}

    public static void main(String[] args) throws Exception {
        Class<?> generated = new ByteBuddy().subclass(Object.class)
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the app's Byte Buddy"))
                .make().load(OwnByteBuddyApp.class.getClassLoader()).getLoaded();
        System.out.println(generated.getDeclaredConstructor().newInstance() + " "
                + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation());
        JdkHttpClientDemo.main(args);
    }
}
