package io.tabletap.server;
public final class Main { public static void main(String[] a) {} }
